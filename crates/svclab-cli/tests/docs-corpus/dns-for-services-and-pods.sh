# Kubernetes docs: DNS for Services and Pods.
# Source: https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
#
# Example 1, "A/AAAA records" of a Service and "Pod's hostname and subdomain fields": the
# headless Service busybox-subdomain and two pods, busybox1 (hostname busybox-1) and
# busybox2 (hostname busybox-2), both with subdomain busybox-subdomain. Documented outcome:
# busybox-1.busybox-subdomain.<ns>.svc.<zone> resolves to the pod's IP.
cat > subdomain.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: busybox-subdomain
spec:
  selector:
    name: busybox
  clusterIP: None
  ports:
  - name: foo
    port: 1234
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox1
  labels:
    name: busybox
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  containers:
  - image: busybox:1.28
    command:
      - sleep
      - "3600"
    name: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox2
  labels:
    name: busybox
spec:
  hostname: busybox-2
  subdomain: busybox-subdomain
  containers:
  - image: busybox:1.28
    command:
      - sleep
      - "3600"
    name: busybox
EOF
kubectl apply -f subdomain.yaml
kubectl wait --for=condition=Ready pod/busybox1 pod/busybox2
kubectl exec busybox1 -- hostname
kubectl exec busybox1 -- cat /etc/hosts
dig +short busybox-1.busybox-subdomain.default.svc.cluster.local
kubectl get pod busybox1 -o jsonpath='{.status.podIP}{"\n"}'
# The headless name answers both pods; SRV names each pod under the subdomain.
dig +short busybox-subdomain.default.svc.cluster.local
dig +short _foo._tcp.busybox-subdomain.default.svc.cluster.local SRV
# Example 2, "Pod's DNS Config": dnsPolicy None with dnsConfig. Documented outcome: the
# pod's /etc/resolv.conf has exactly these nameserver, search and options lines.
cat > dns-config.yaml << EOF
apiVersion: v1
kind: Pod
metadata:
  namespace: default
  name: dns-example
spec:
  containers:
    - name: test
      image: nginx
  dnsPolicy: "None"
  dnsConfig:
    nameservers:
      - 192.0.2.1
    searches:
      - ns1.svc.cluster-domain.example
      - my.dns.search.suffix
    options:
      - name: ndots
        value: "2"
      - name: edns0
EOF
kubectl apply -f dns-config.yaml
kubectl wait --for=condition=Ready pod/dns-example
kubectl exec -it dns-example -- cat /etc/resolv.conf
# Example 3, "dnsPolicy: ClusterFirst" (the default): the pod's resolv.conf points at the
# cluster DNS Service with the namespace's search list and ndots:5.
kubectl exec busybox1 -- cat /etc/resolv.conf
# Example 4, "Pods / A/AAAA records": <dashed-ip>.<ns>.pod.<zone> (kubeadm's CoreDNS runs
# `pods insecure`, which answers any well-formed address in an existing namespace).
dig +short 172-17-0-3.default.pod.cluster.local
# Example 5, "Namespaces of Services": a query without a namespace is limited to the pod's
# own; data.prod needs the namespace.
kubectl create namespace prod
kubectl create service clusterip data --tcp=80:80 -n prod
kubectl exec busybox1 -- nslookup data
kubectl exec busybox1 -- nslookup data.prod
