# Seed 001: a Deployment with five replicas, a normal and a headless Service.
# Source: shared/seeds/001 (headless service). Run: svclab run examples/seed-001.sh
cat > api-deployment.yaml << EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-deployment
  labels:
    app: api
spec:
  replicas: 5
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 3000
EOF
cat > normal-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: normal-service
spec:
  selector:
    app: api
  ports:
    - protocol: TCP
      port: 80
      targetPort: 3000
EOF
cat > headless-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: headless-service
spec:
  clusterIP: None # clusterIP需要指定为None
  selector:
    app: api
  ports:
    - protocol: TCP
      port: 80
      targetPort: 3000
EOF
kubectl apply -f api-deployment.yaml
kubectl apply -f normal-service.yaml
kubectl apply -f headless-service.yaml
# Let the pods start (the seed's output was taken 13 seconds later).
sleep 13
kubectl get all
kubectl run -it --image busybox:1.28.3 test --restart=Never --rm /bin/sh
nslookup normal-service
nslookup headless-service
exit
